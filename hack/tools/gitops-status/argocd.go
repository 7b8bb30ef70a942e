package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	luajson "layeh.com/gopher-json"
)

// What follows mirrors Argo CD v3.5's util/lua/lua.go (runLua and ExecuteHealthLua), so a script
// that passes here behaves the same in argocd-cm: the standard libraries are not opened, only
// package, base, table and a safe os (time and date); the object is the global `obj`, decoded
// from the unstructured object; the script has one second; the table it returns is turned into
// a HealthStatus through JSON, and a status outside Argo CD's set becomes Unknown.

// Argo CD's health status codes (gitops-engine pkg/health).
var healthCodes = map[string]bool{
	"Unknown": true, "Progressing": true, "Suspended": true, "Healthy": true, "Degraded": true,
	"Missing": true,
}

func argoHealth(obj *unstructured.Unstructured, script string) (verdict, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.OsLibName, openSafeOs},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true},
			lua.LString(lib.name)); err != nil {
			return verdict{}, fmt.Errorf("opening the Lua library %s: %w", lib.name, err)
		}
	}
	l.PreloadModule(lua.OsLibName, safeOsLoader)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("actionParams", l.CreateTable(0, 0))
	l.SetGlobal("obj", decodeValue(l, obj.Object))
	if err := l.DoString(script); err != nil {
		var apiErr *lua.ApiError
		if errors.As(err, &apiErr) && apiErr.Type == lua.ApiErrorRun {
			apiErr.StackTrace = ""
			err = apiErr
		}
		return verdict{}, fmt.Errorf("the health script failed: %w", err)
	}
	returned := l.Get(-1)
	switch returned.Type() {
	case lua.LTNil:
		return verdict{}, nil
	case lua.LTTable:
	default:
		return verdict{}, fmt.Errorf("expect table output from Lua script, not %s", returned.Type())
	}
	data, err := luajson.Encode(returned)
	if err != nil {
		return verdict{}, fmt.Errorf("the health script's table: %w", err)
	}
	var v verdict
	if err := json.Unmarshal(data, &v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Value == "array" {
			return verdict{}, nil // an empty table encodes as []
		}
		return verdict{}, fmt.Errorf("the health script's table: %w", err)
	}
	if !healthCodes[v.Status] {
		return verdict{Status: "Unknown", Message: "Lua returned an invalid health status"}, nil
	}
	return v, nil
}

// decodeValue is Argo CD's: JSON values to Lua values, integers (int64 in unstructured) as numbers.
func decodeValue(l *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case json.Number:
		return lua.LString(v)
	case []any:
		arr := l.CreateTable(len(v), 0)
		for _, item := range v {
			arr.Append(decodeValue(l, item))
		}
		return arr
	case map[string]any:
		tbl := l.CreateTable(0, len(v))
		for key, item := range v {
			tbl.RawSetH(lua.LString(key), decodeValue(l, item))
		}
		return tbl
	}
	return lua.LNil
}

// Argo CD's safe os: time and date only (no exit, no files, no environment). Argo CD registers
// them under the name of the table library, so a script reaches them through require("os") (the
// preloaded module) and not a global os; mirrored as it is.
var safeOsFuncs = map[string]lua.LGFunction{"time": osTime, "date": osDate}

func openSafeOs(l *lua.LState) int {
	l.Push(l.RegisterModule(lua.TabLibName, safeOsFuncs))
	return 1
}

func safeOsLoader(l *lua.LState) int {
	l.Push(l.SetFuncs(l.NewTable(), safeOsFuncs))
	return 1
}

func osTime(l *lua.LState) int {
	if l.GetTop() == 0 {
		l.Push(lua.LNumber(time.Now().Unix()))
		return 1
	}
	tbl := l.CheckTable(1)
	field := func(key string, def int) int {
		if n, ok := tbl.RawGetString(key).(lua.LNumber); ok {
			return int(n)
		}
		return def
	}
	t := time.Date(field("year", -1), time.Month(field("month", -1)), field("day", -1),
		field("hour", 12), field("min", 0), field("sec", 0), 0, time.Local)
	l.Push(lua.LNumber(t.Unix()))
	return 1
}

func osDate(l *lua.LState) int {
	t, format := time.Now(), "%c"
	if l.GetTop() >= 1 {
		format = l.CheckString(1)
		if strings.HasPrefix(format, "!") {
			t, format = t.UTC(), strings.TrimLeft(format, "!")
		}
		if l.GetTop() >= 2 {
			t = time.Unix(l.CheckInt64(2), 0)
		}
		if strings.HasPrefix(format, "*t") {
			ret := l.NewTable()
			for key, n := range map[string]int{"year": t.Year(), "month": int(t.Month()),
				"day": t.Day(), "hour": t.Hour(), "min": t.Minute(), "sec": t.Second(),
				"wday": int(t.Weekday()) + 1, "yday": 0} {
				ret.RawSetString(key, lua.LNumber(n))
			}
			ret.RawSetString("isdst", lua.LFalse)
			l.Push(ret)
			return 1
		}
	}
	l.Push(lua.LString(strftime(t, format)))
	return 1
}

var strftimeFlags = map[byte]string{
	'a': "mon", 'A': "Monday", 'b': "Jan", 'B': "January", 'c': "02 Jan 06 15:04 MST", 'd': "02",
	'F': "2006-01-02", 'H': "15", 'I': "03", 'm': "01", 'M': "04", 'p': "PM", 'P': "pm", 'S': "05",
	'x': "15/04/05", 'X': "15:04:05", 'y': "06", 'Y': "2006", 'z': "-0700", 'Z': "MST",
}

func strftime(t time.Time, format string) string {
	var out strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			out.WriteByte(c)
			continue
		}
		i++
		if layout, ok := strftimeFlags[format[i]]; ok {
			out.WriteString(t.Format(layout))
		} else if format[i] == 'w' {
			out.WriteString(strconv.Itoa(int(t.Weekday())))
		} else {
			out.WriteByte('%')
			out.WriteByte(format[i])
		}
	}
	return out.String()
}
